"""Exit codes that mean something to a cron job or a supervisor."""

OK = 0
#: The command ran but something failed (e.g. some feeds could not be fetched).
PARTIAL = 1
#: Bad command-line usage (argparse uses 2 too).
USAGE = 2
#: The configuration file is missing or invalid.
CONFIG = 3
#: The database or the model cannot be used.
STORAGE = 4
#: Another instance already runs with this token or database.
CONFLICT = 5
#: Interrupted (Ctrl-C).
INTERRUPTED = 130
#: The reader of the output went away (`topicbot feeds | head`): what a shell reports for a
#: process ended by SIGPIPE (128 + 13).
PIPE_CLOSED = 141
