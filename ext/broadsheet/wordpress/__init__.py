"""Moving a publication in from WordPress: read an export, write articles and reply files.

Pure modules with no Sphinx import, used by ``broadsheet import-wordpress``: ``wxr`` reads the
export as a stream, ``body`` (with ``shortcodes``, ``cleanup`` and ``markdown``) turns a post's
HTML into MyST, ``articles`` and ``replies`` write the files, ``redirects`` keeps the old
addresses, and ``importer`` runs it all and reports.
"""
