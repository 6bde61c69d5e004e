"""The commands of ``recon-tui``, one module per theme; ``cli.py`` parses the arguments, picks the
command and turns its errors into exit codes. Each command is ``cmd_NAME(args, target) -> exit code``.
"""
