// Loads every torch.* / Tensor / torch._C._nn implementation (each file registers on import).
import './creation.ts';
import './shape.ts';
import './pointwise.ts';
import './reduction.ts';
import './linalg.ts';
import './indexing.ts';
import './conversion.ts';
import './nn.ts';
