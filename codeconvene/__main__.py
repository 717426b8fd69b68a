from codeconvene.cli import app

app()
