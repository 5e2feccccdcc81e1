"""Custom Rasa components. Loaded by the Rasa server (Python 3.10 venv), not by the bot."""
