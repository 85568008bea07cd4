"""Policy kinds evaluated over a snapshot: each returns changes and problems (pure)."""
