"""One screen per wizard step, plus the drill-down, order, help and quit-confirmation screens."""
