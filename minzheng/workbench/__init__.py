"""The workbench: each role's home page, where the work comes to the user.

A consumer of the other apps: it reads their ``selectors`` only (the
``*_todo`` queries) and links to their pages; it writes nothing.
"""
