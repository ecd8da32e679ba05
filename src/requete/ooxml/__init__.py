"""The Word package foundation: the zip container read and written safely (``package``),
OOXML names (``names``), styles, numbering, runs and tracked revisions, and the text model
of every story (``text``) that rendering, review and the bundle all read a .docx through."""
