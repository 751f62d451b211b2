"""The site: a build of one edition, its pages, components, directives and downloads."""
