"""Local git repositories: commit history read with the `git` command line (no libgit2)."""
