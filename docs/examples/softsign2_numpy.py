class Softsign2(Activation):
    r"""The tutorial's example activation, \(z / (1 + z^2)\).

    \[ g(z) = \frac{z}{1 + z^2}, \qquad g'(z) = \frac{1 - z^2}{(1 + z^2)^2}, \qquad
       g''(z) = \frac{2z\,(z^2 - 3)}{(1 + z^2)^3}. \]

    Smooth everywhere: no kink. For \(|z|\) up to \(10^{3}\), \(z^2\) cannot overflow.
    """

    name = "softsign2"
    summary_zh = "z / (1 + z²)，鼓包形状的奇函数激活（本教程的例子）。"

    @staticmethod
    def forward(Z):
        return Z / (1 + Z**2)

    @staticmethod
    def derivative(Z):
        return (1 - Z**2) / (1 + Z**2) ** 2

    @staticmethod
    def second_derivative(Z):
        return 2 * Z * (Z**2 - 3) / (1 + Z**2) ** 3
