"""GitHub adapter: `plan` (pure: what the warehouse asks for), `apply` (PyGithub: check and
post), `run` for `codeconvene bot github [--apply]`."""
