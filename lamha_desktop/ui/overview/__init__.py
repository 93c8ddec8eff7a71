"""The "Tổng quan" tab: yearly targets against admissions."""
