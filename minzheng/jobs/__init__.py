"""Background jobs with progress (issue 12; docs/adr/0017-background-jobs.md).

Long operations (the monthly monitoring run, the policy batch, …) run as a
:class:`~minzheng.jobs.models.Job`: a record of who started what, when, with
which parameters, its stage and counts while it runs, and its result or
error when done. The queue and the worker are Django's tasks framework
(the ``django-tasks`` backport with the ``django-tasks-db`` database
backend); this app is the thin layer on top that people see and that keeps
two runs of the same month apart (a unique lock key on active jobs).

Apps declare their kinds of job (``services.kind_register`` in their
``AppConfig.ready``); the operations themselves only accept a
``progress(stage, done, total)`` callable and know nothing of jobs.
"""
