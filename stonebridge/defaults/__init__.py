"""StoneBridge defaults: the values a user may need to change (grace periods, reminder horizons,
purchasing thresholds, the import's match threshold, minimum group sizes), kept as data that
staff edit in the admin, each with its meaning (DESIGN.md, rule 6). Code reads them through
`queries.value`. Operator settings (login limits, keys, addresses) stay in the environment."""
