# LeNet-5 (LeCun et al., 1998) for 28x28 MNIST digits, written with nn.Sequential:
# the first convolution pads by 2 so the 28x28 image behaves like the paper's 32x32 input.
import torch
import torch.nn as nn


class LeNet5(nn.Module):
    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, kernel_size=5, padding=2),  # 6 x 28 x 28
            nn.Tanh(),
            nn.AvgPool2d(kernel_size=2, stride=2),  # 6 x 14 x 14
            nn.Conv2d(6, 16, kernel_size=5),  # 16 x 10 x 10
            nn.Tanh(),
            nn.AvgPool2d(kernel_size=2, stride=2),  # 16 x 5 x 5
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120),
            nn.Tanh(),
            nn.Linear(120, 84),
            nn.Tanh(),
            nn.Linear(84, num_classes),
        )

    def forward(self, x):
        x = self.features(x)
        logits = self.classifier(x)
        return logits


if __name__ == "__main__":
    model = LeNet5()
    print(model)
    images = torch.randn(4, 1, 28, 28)  # a batch of 4 digits
    print(model(images).shape)
