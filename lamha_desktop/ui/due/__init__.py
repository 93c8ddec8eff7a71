"""The "Việc cần làm" tab: what is due or overdue."""
