"""The ``minzheng`` console script: a thin front to Django management commands.

``minzheng user create …`` runs the command ``user_create``; ``minzheng
demo-data …`` runs ``demo_data``. Any other Django command also works
(``minzheng migrate``). ``minzheng help`` lists the Minzheng commands.
"""

from __future__ import annotations

import os
import sys


def resolve(argv: list[str], known: set[str]) -> list[str]:
    """Map ``["user", "create", ...]`` to ``["user_create", ...]``."""
    if len(argv) >= 2 and f"{argv[0]}_{argv[1]}".replace("-", "_") in known:
        return [f"{argv[0]}_{argv[1]}".replace("-", "_"), *argv[2:]]
    if argv and argv[0].replace("-", "_") in known:
        return [argv[0].replace("-", "_"), *argv[1:]]
    return argv


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django
    from django.core.management import execute_from_command_line, get_commands

    django.setup()
    args = list(sys.argv[1:] if argv is None else argv)
    commands = get_commands()
    ours = sorted(name for name, app in commands.items() if app.startswith("minzheng"))
    if not args or args[0] in ("help", "-h", "--help"):
        print("用法 / usage: minzheng <命令> [参数]\n\n民政命令：")
        for name in ours:
            print("  " + name.replace("_", " ", 1) if "_" in name else "  " + name)
        print("\n任何 Django 管理命令也可以使用，例如 minzheng migrate。")
        return
    execute_from_command_line(["minzheng", *resolve(args, set(commands))])


if __name__ == "__main__":
    main()
