"""The SOP's standard times: when each step started and ended, reminders, escalations and queues."""
