"""parley serve: the web app over the store (app.py) and what its pages show (pages.py)."""
