"""``newscrawler schedule``: portal crawls on intervals or cron expressions.

- :mod:`~newscrawler.schedule.timing`: intervals and cron expressions (``cronsim``);
- :mod:`~newscrawler.schedule.config`: the schedule file (format in its docstring);
- :mod:`~newscrawler.schedule.runner`: the :class:`Scheduler` (processes, signals, ``runs.jsonl``);
- :mod:`~newscrawler.schedule.command`: the command itself.
"""

from newscrawler.schedule.config import Job, Schedule, load_schedule
from newscrawler.schedule.runner import Run, RunHook, Scheduler, run_id_for
from newscrawler.schedule.timing import CronExpression, ScheduleError, local_zone, parse_interval

__all__ = [
    "CronExpression",
    "Job",
    "Run",
    "RunHook",
    "Schedule",
    "ScheduleError",
    "Scheduler",
    "load_schedule",
    "local_zone",
    "parse_interval",
    "run_id_for",
]
