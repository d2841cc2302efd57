#!/usr/bin/python3
"""Extra value cases for the cpu kernels, beyond test/runtime/ops/cases.json: the parameter
combinations the shape-tier cases do not reach (dilated/grouped/strided convolutions and their
transposes, pooling with ceil_mode/count_include_pad/dilation, every interpolation mode, every
padding mode, normalisation in training mode, weighted losses, einsum forms, scans, sorting
along inner dims, indexing writes), answered by real PyTorch 1.13.

Run:  /usr/bin/python3 test/runtime/cpu/make-extra.py   (writes extra.json next to this file)

Cases use make-cases.py's notation (T(...) tensors, Py(...) values) and make-values.py's
deterministic inputs; extra.json holds each case in cases.json's encoding plus its expected values.
"""
import importlib.util
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location('make_values', os.path.join(HERE, 'make-values.py'))
mv = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mv)
mc = mv.mc
T, Py = mc.T, mc.Py

CASES = []
GROUP = ['']


def group(name):
    GROUP[0] = name


def case(call, *args, **kwargs):
    CASES.append({'group': GROUP[0], 'call': call, 'args': args, 'kwargs': kwargs})


i64, b = 'int64', 'bool'

group('conv')
case('F.conv2d', T(2, 4, 9, 9), T(6, 2, 3, 3), T(6), stride=2, padding=1, dilation=2, groups=2)
case('F.conv2d', T(1, 6, 7, 8), T(6, 1, 3, 3), None, 1, 'same', 1, 6)
case('F.conv2d', T(1, 3, 9, 9), T(4, 3, 4, 2), padding='same', dilation=(2, 1))
case('F.conv2d', T(2, 8, 5, 5), T(16, 8, 1, 1), T(16))
case('F.conv2d', T(1, 2, 20, 20), T(3, 2, 5, 5), stride=(3, 2), padding=(2, 0))
case('F.conv1d', T(2, 4, 30), T(6, 2, 5), T(6), stride=3, padding=2, dilation=2, groups=2)
case('F.conv3d', T(1, 4, 5, 6, 7), T(4, 2, 2, 3, 2), T(4), stride=(1, 2, 1), padding=(1, 0, 1), groups=2)
case('F.conv_transpose2d', T(2, 4, 5, 5), T(4, 3, 3, 3), T(6), stride=2, padding=1, output_padding=1, groups=2, dilation=1)
case('F.conv_transpose2d', T(1, 3, 4, 6), T(3, 2, 2, 3), None, (2, 3), (1, 0), (0, 1), 1, (2, 1))
case('F.conv_transpose1d', T(2, 4, 7), T(4, 3, 4), T(3), stride=2, padding=1, dilation=2)
case('F.conv_transpose3d', T(1, 4, 3, 4, 3), T(4, 1, 2, 2, 2), T(2), stride=2, groups=2)

group('pool')
case('F.max_pool2d', T(2, 3, 9, 9), 3, 2, 1, 2, True)
case('F.max_pool2d', T(1, 2, 7, 10), (2, 3), (2, 2), (1, 1), 1, True, True)
case('F.max_pool3d', T(1, 2, 5, 6, 7), 2, 2, 1, 1, True, True)
case('F.max_pool1d', T(2, 3, 11), 3, 2, 1, 2, True)
case('F.max_pool1d', T(2, 3, 11), 4, 3, 2, 1, False, True)
case('F.avg_pool2d', T(1, 2, 7, 7), 3, 2, 1, True, False)
case('F.avg_pool2d', T(1, 2, 7, 7), 3, 2, 1, True, True)
case('F.avg_pool2d', T(1, 2, 6, 6), 4, 2, 2, False, True, 5)
case('F.avg_pool3d', T(1, 2, 5, 5, 5), 3, 2, 1, True, False)
case('F.avg_pool1d', T(2, 3, 10), 4, 3, 2, True, False)
case('F.adaptive_avg_pool2d', T(2, 3, 7, 9), (3, 4))
case('F.adaptive_max_pool2d', T(2, 3, 7, 9), (4, 5), True)
case('F.adaptive_avg_pool3d', T(1, 2, 5, 7, 3), (2, 3, 2))
case('F.adaptive_max_pool1d', T(2, 3, 10), 4, True)
case('F.lp_pool2d', T(1, 2, 6, 6), 3, 2, 2)
case('F.max_unpool2d', *[None] * 0, input=T(1, 2, 2, 2), indices=T(1, 2, 2, 2, dtype=i64, high=16), kernel_size=2)

group('interpolate')
for mode, extra in [('nearest', {}), ('nearest-exact', {}), ('bilinear', {'align_corners': False}), ('bilinear', {'align_corners': True}),
                    ('bicubic', {'align_corners': False}), ('bicubic', {'align_corners': True}), ('area', {})]:
    case('F.interpolate', T(1, 2, 5, 7), size=(8, 4), mode=mode, **extra)
    case('F.interpolate', T(1, 2, 5, 7), scale_factor=1.7, mode=mode, **extra)
case('F.interpolate', T(1, 2, 6), scale_factor=2.5, mode='linear')
case('F.interpolate', T(1, 2, 6), size=9, mode='linear', align_corners=True)
case('F.interpolate', T(1, 2, 3, 4, 5), scale_factor=(2, 1.5, 0.6), mode='trilinear')
case('F.interpolate', T(1, 2, 3, 4, 5), size=(5, 5, 5), mode='nearest')
case('F.interpolate', T(1, 2, 5, 7), scale_factor=(0.5, 0.75), mode='nearest', recompute_scale_factor=True)
case('F.pixel_shuffle', T(2, 8, 3, 4), 2)
case('F.pixel_unshuffle', T(2, 2, 6, 4), 2)
case('F.grid_sample', T(1, 2, 5, 6), T(1, 3, 4, 2), mode='bilinear', padding_mode='border', align_corners=True)
case('F.grid_sample', T(1, 2, 5, 6), T(1, 3, 4, 2), mode='nearest', padding_mode='reflection', align_corners=False)
case('F.grid_sample', T(1, 2, 5, 6), T(1, 3, 4, 2), mode='bicubic', padding_mode='zeros', align_corners=False)
case('F.grid_sample', T(1, 2, 4, 5, 6), T(1, 2, 3, 4, 3), mode='bilinear', align_corners=False)
case('F.affine_grid', T(2, 2, 3), [2, 3, 4, 5], align_corners=True)
case('F.affine_grid', T(1, 3, 4), [1, 2, 3, 4, 5], align_corners=False)
case('F.unfold', T(2, 3, 6, 7), (2, 3), dilation=(1, 2), padding=1, stride=(2, 1))
case('F.fold', T(2, 12, 9), (4, 5), (2, 2), padding=1, stride=2)

group('pad')
for mode in ['constant', 'reflect', 'replicate', 'circular']:
    case('F.pad', T(2, 3, 6), (2, 3), mode=mode)
    case('F.pad', T(1, 2, 5, 6), (1, 2, 3, 1), mode=mode)
    case('F.pad', T(1, 2, 4, 5, 6), (1, 2, 2, 1, 1, 3), mode=mode)
case('F.pad', T(2, 3, 6), (-1, 2, 1, -1), value=2.5)

group('norm')
case('F.batch_norm', T(4, 3, 5), T(3), T(3, dtype='float32'), T(3), T(3), True, 0.3, 1e-3)
case('F.batch_norm', T(6, 3), None, None, None, None, True)
case('F.layer_norm', T(2, 3, 4, 5), (4, 5), T(4, 5), T(4, 5), 1e-3)
case('F.group_norm', T(2, 6, 3, 4), 3, T(6), T(6), 1e-4)
case('F.instance_norm', T(2, 3, 4, 5), None, None, T(3), T(3), use_input_stats=True, momentum=0.2)
case('F.instance_norm', T(2, 3, 4, 5), weight=T(3), bias=T(3))
case('F.local_response_norm', T(2, 5, 4, 4), 3, 1e-3, 0.75, 2.0)
case('F.normalize', T(3, 4, 5), 1.0, 1)

group('loss')
case('F.cross_entropy', T(5, 4), T(5, dtype=i64, high=4), weight=T(4), label_smoothing=0.1)
case('F.cross_entropy', T(3, 4, 2, 2), T(3, 2, 2, dtype=i64, high=4), ignore_index=1, reduction='sum')
case('F.cross_entropy', T(5, 4), T(5, dtype=i64, high=4), ignore_index=2, label_smoothing=0.2)
case('F.cross_entropy', T(5, 4), T(5, 4), label_smoothing=0.1, reduction='none')
case('F.nll_loss', T(5, 4), T(5, dtype=i64, high=4), weight=T(4), reduction='mean')
case('F.binary_cross_entropy_with_logits', T(3, 4), T(3, 4), weight=T(4), pos_weight=T(4))
case('F.smooth_l1_loss', T(3, 4), T(3, 4), beta=0.5)
case('F.huber_loss', T(3, 4), T(3, 4), delta=0.7, reduction='sum')
case('F.kl_div', T(3, 4), T(3, 4), reduction='batchmean', log_target=True)
case('F.hinge_embedding_loss', T(3, 4), T(3, 4), margin=0.5)
case('F.poisson_nll_loss', T(3, 4), T(3, 4), log_input=True, full=True)
case('F.margin_ranking_loss', T(6), T(6), T(6), margin=0.3)
case('F.triplet_margin_loss', T(4, 5), T(4, 5), T(4, 5), margin=0.5, p=1.0, swap=True)
case('F.cosine_embedding_loss', T(4, 5), T(4, 5), T(4), margin=0.2)
case('F.multilabel_soft_margin_loss', T(3, 5), T(3, 5))
case('F.gaussian_nll_loss', T(3, 4), T(3, 4), T(3, 1), full=True)

group('reduce')
case('torch.std', T(3, 4, 5), (0, 2), correction=0)
case('torch.var', T(3, 4, 5), 1, False, True)
case('torch.logsumexp', T(3, 4, 5), (0, 2), True)
case('torch.norm', T(3, 4, 5), 3, (1, 2))
case('torch.norm', T(3, 4), 'nuc')
case('torch.norm', T(3, 4, 5), float('inf'), 1)
case('torch.cumsum', T(3, 4, 5), 1)
case('torch.cumprod', T(3, 4, 5), 2)
case('torch.cummin', T(3, 4, 5), 1)
case('torch.prod', T(3, 4, 5), 1, True)
case('torch.sort', T(3, 4, 5), 1, True)
case('torch.topk', T(3, 6, 5), 3, 1, False)
case('torch.kthvalue', T(3, 6, 5), 2, 1)
case('torch.median', T(3, 6, 5), 1)
case('torch.mode', T(3, 6, dtype=i64, high=3), 1)
case('torch.nanmedian', T(3, 6))
case('torch.argmin', T(3, 4, 5), 2, True)
case('torch.amax', T(3, 4, 5), (0, 2))
case('torch.softmax', T(3, 4, 5), 1)
case('torch.log_softmax', T(3, 4, 5), 0, dtype=Py(torch.float64))
case('torch.mean', T(3, 4, 5, dtype=i64), 1, dtype=Py(torch.float32))

group('elementwise')
for fn in ['erfinv', 'lgamma', 'digamma', 'i0', 'expm1', 'log1p', 'rsqrt', 'asinh', 'atanh', 'frac', 'trunc']:
    case(f'torch.{fn}', T(3, 4))
case('torch.logit', T(3, 4), 0.1)
case('torch.nan_to_num', T(3, 4), nan=1.0, posinf=2.0)
case('torch.addcmul', T(3, 4), T(3, 4), T(4), value=0.5)
case('torch.addcdiv', T(3, 4), T(3, 4), T(4), value=-2)
case('torch.lerp', T(3, 4), T(3, 4), T(3, 4))
case('torch.clamp', T(3, 4), T(4), T(3, 1))
case('torch.float_power', T(3, 4), 2)
case('torch.copysign', T(3, 4), T(4))
case('torch.hypot', T(3, 4), T(4))
case('torch.isclose', T(3, 4), T(3, 4), 0.5, 0.5)
case('torch.bitwise_xor', T(3, 4, dtype=i64, low=-50, high=50), T(4, dtype=i64, low=-50, high=50))
case('op:<<', T(3, 4, dtype='int32', low=-50, high=50), 3)
case('op:>>', T(3, 4, dtype=i64, low=-50, high=50), 2)
case('op://', T(3, 4, dtype='int32', low=-50, high=50), T(4, dtype='int32', low=1, high=7))
case('op:%', T(3, 4, dtype='int8', low=-50, high=50), -7)
case('op:**', T(3, 4, dtype=i64, low=-5, high=5), 3)
case('op:+', T(3, 4, dtype='float16'), T(4))
case('op:*', T(3, 4, dtype='bfloat16'), 1.1)
case('F.softplus', T(3, 4), 2, 1)
case('F.elu', T(3, 4), 0.7)
case('F.celu', T(3, 4), 1.5)
case('F.rrelu', T(3, 4), 0.1, 0.3)
case('F.threshold', T(3, 4), 0.2, -1.0)
case('F.hardtanh', T(3, 4), -0.5, 0.7)
case('F.leaky_relu', T(3, 4), 0.3)
case('F.gelu', T(3, 4), approximate='tanh')
case('F.softshrink', T(3, 4), 0.3)
case('F.glu', T(3, 4, 6), 1)
case('F.prelu', T(2, 3, 4), T(3))

group('index')
case('setitem', T(4, 5), (Py(slice(1, 3)), 2), 7.5)
case('setitem', T(4, 5), Py(slice(None, None, 2)), T(5))
case('setitem', T(4, 5), T(4, 5, dtype=b), -1.0)
case('setitem', T(4, 5), (T(3, dtype=i64, high=4), T(3, dtype=i64, high=5)), T(3))
case('getitem', T(4, 5, 3), T(4, 5, dtype=b))
case('getitem', T(4, 5, 3), (Py(Ellipsis), T(2, 2, dtype=i64, high=3)))
case('getitem', T(4, 5, 3), (T(2, dtype=i64, high=4), Py(slice(None)), T(2, dtype=i64, high=3)))
case('torch.scatter', T(3, 5), 1, T(3, 2, dtype=i64, high=5), T(3, 2), reduce='multiply')
case('torch.scatter_add', T(3, 5), 0, T(2, 5, dtype=i64, high=3), T(2, 5))
case('Tensor.index_add', T(4, 3), 0, T(3, dtype=i64, high=4), T(3, 3))
case('Tensor.index_copy', T(4, 3), 1, T(2, dtype=i64, high=3), T(4, 2))
case('torch.masked_select', T(3, 4), T(4, dtype=b))
case('torch.nonzero', T(3, 4, dtype=b))
case('torch.take_along_dim', T(3, 4), T(3, 2, dtype=i64, high=4), 1)
case('torch.roll', T(3, 4, 5), (1, -2), (0, 2))
case('torch.diagonal', T(3, 4, 5), -1, 2, 0)
case('torch.tril', T(2, 4, 5), -1)
case('torch.einsum', 'bij,bjk->bik', T(2, 3, 4), T(2, 4, 5))
case('torch.einsum', 'ii->i', T(4, 4))
case('torch.einsum', 'i,j->ij', T(3), T(4))
case('torch.einsum', '...ij,...jk', T(2, 1, 3, 4), T(5, 4, 2))
case('torch.einsum', 'bhqd,bhkd->bhqk', T(2, 3, 4, 5), T(2, 3, 6, 5))
case('torch.einsum', 'ijk->', T(2, 3, 4))
case('torch.einsum', 'ij,ij,ij->i', T(3, 4), T(3, 4), T(3, 4))
case('F.embedding_bag', T(8, dtype=i64, high=10), T(10, 3), T(3, dtype=i64, high=1), mode='max')
case('F.embedding_bag', T(2, 4, dtype=i64, high=10), T(10, 3), mode='sum')
case('F.one_hot', T(2, 3, dtype=i64, high=4), 6)
case('torch.repeat_interleave', T(2, 3), 2, 1)
case('torch.bilinear', T(4, 5), T(4, 6), T(7, 5, 6), T(7))
case('torch.cdist', T(2, 5, 3), T(2, 4, 3), p=1.0)
case('torch.pdist', T(5, 3), p=3.0)
case('F.pairwise_distance', T(4, 5), T(5), 1.0, 1e-3, True)
case('F.cosine_similarity', T(4, 5), T(1, 5), 1, 1e-3)


def run_all():
    counts = {}
    entries = []
    for c in CASES:
        index = counts.get(c['group'], 0)
        counts[c['group']] = index + 1
        c = {**c, 'needs_values': False, 'on_meta': False}
        expect = mv.outcome(c, 0)
        entry = {'id': f"extra-{c['group']}/{index}", 'group': c['group'], 'call': c['call'],
                 'args': [mc.enc(a) for a in c['args']], 'kwargs': {k: mc.enc(v) for k, v in c['kwargs'].items()}, 'expect': expect}
        if json.dumps(mv.outcome(c, 1)) != json.dumps(expect):
            entry['random'] = True
        entries.append(entry)
    return entries


def main():
    entries = run_all()
    with open(os.path.join(HERE, 'extra.json'), 'w') as f:
        f.write('{"torch": %s, "cases": [\n' % json.dumps(torch.__version__))
        f.write(',\n'.join(json.dumps(e, separators=(',', ':')) for e in entries))
        f.write('\n]}\n')
    errors = [e['id'] + ' ' + e['call'] + ': ' + e['expect']['error']['message'][:100] for e in entries if 'error' in e['expect']]
    print(f'{len(entries)} extra cases -> extra.json; errors:', *errors, sep='\n  ', file=sys.stdout)


if __name__ == '__main__':
    main()
