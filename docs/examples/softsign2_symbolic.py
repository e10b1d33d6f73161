register(
    "softsign2",
    z / (1 + z**2),
    Text(
        "z / (1 + z²), a bump-shaped odd activation (the tutorial's example)",
        "z / (1 + z²)，鼓包形状的奇函数激活（本教程的例子）",
    ),
    tex=r"\operatorname{softsign}_2",
)
