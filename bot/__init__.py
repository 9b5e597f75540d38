"""topicbot: Danish news topic alerts.

sources → articles → classifier → matcher → outbox → sender → chat
"""

__version__ = "0.1.0"
