# A CNN for 32x32 colour images (CIFAR-10) whose first linear layer was copied from an MNIST
# model: it expects 32 * 7 * 7 features, but two 2x2 poolings of a 32x32 image leave 8x8.
# Running it fails in forward with "mat1 and mat2 shapes cannot be multiplied".
import torch
import torch.nn as nn
import torch.nn.functional as F


class CifarCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc1 = nn.Linear(32 * 7 * 7, 128)  # wrong: should be 32 * 8 * 8
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))  # 16 x 16 x 16
        x = self.pool(F.relu(self.conv2(x)))  # 32 x 8 x 8
        x = torch.flatten(x, 1)  # 2048 features
        x = F.relu(self.fc1(x))
        return self.fc2(x)


if __name__ == "__main__":
    model = CifarCNN()
    print(model)
    model(torch.randn(1, 3, 32, 32))
