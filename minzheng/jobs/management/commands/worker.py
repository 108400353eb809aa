"""``minzheng worker``: the background jobs worker (django-tasks-db's ``db_worker``).

Runs queued jobs one at a time until stopped (Ctrl+C or SIGTERM lets the
current job finish; a second Ctrl+C stops it). ``make run`` starts one next
to the web server. Every option of ``db_worker`` works (``--batch`` runs what
is queued and exits; ``--interval`` seconds between looks at the queue)."""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    help = "后台作业进程：依次运行排队的作业（批量测算、动态监测等），直到停止（Ctrl+C）"
