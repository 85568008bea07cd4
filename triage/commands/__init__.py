"""One module per subcommand; each parses options and calls typed functions."""
