register(
    "softsign2",
    z / (1 + z**2),
    "z / (1 + z²), a bump-shaped odd activation (the tutorial's example)",
    tex=r"\operatorname{softsign_2}",
)
