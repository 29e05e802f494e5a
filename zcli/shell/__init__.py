"""The interactive shell (prompt_toolkit): ``zcli.shell.app.run_shell(ctx) -> int``."""
