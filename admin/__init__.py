"""The staff web console: accounts and roles, the content editor, and (from other modules)
report triage, trends and alerts.

A Starlette application with server-rendered Jinja2 templates. `bot/` builds it with
`admin.app.create_app` and serves it (``scambot admin``); nothing here imports ``telegram``
or ``handlers``. How to add a page: ``admin/README.md``.
"""
