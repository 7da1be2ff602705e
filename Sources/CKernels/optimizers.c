#include "ckernels.h"
#include <math.h>

void kz_adam(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, long n,
             float beta1, float beta2, float step_size, float inv_sqrt_bc2, float eps, float l2) {
    const float c1 = 1.0f - beta1, c2 = 1.0f - beta2;
    for (long i = 0; i < n; i++) {
        float gi = g[i] + l2 * p[i];
        float mi = beta1 * m[i] + c1 * gi;
        float vi = beta2 * v[i] + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] -= step_size * mi / (sqrtf(vi) * inv_sqrt_bc2 + eps);
    }
}

void kz_sgd(float *restrict p, const float *restrict g, long n, float lr, float wd) {
    for (long i = 0; i < n; i++) p[i] -= lr * (g[i] + wd * p[i]);
}

void kz_sgd_momentum(float *restrict p, const float *restrict g, float *restrict b, long n, float lr, float wd,
                     float momentum, float dampening, int nesterov, int first) {
    const float keep = 1.0f - dampening;
    for (long i = 0; i < n; i++) {
        float gi = g[i] + wd * p[i];
        float bi = first ? gi : momentum * b[i] + keep * gi;
        b[i] = bi;
        p[i] -= lr * (nesterov ? gi + momentum * bi : bi);
    }
}

void kz_rmsprop(float *restrict p, const float *restrict g, float *restrict v, float *restrict mean,
                float *restrict buf, long n, float lr, float alpha, float eps, float momentum, int centered,
                float wd) {
    const float c = 1.0f - alpha;
    for (long i = 0; i < n; i++) {
        float gi = g[i] + wd * p[i];
        float vi = alpha * v[i] + c * gi * gi;
        v[i] = vi;
        float avg;
        if (centered) {
            float mi = alpha * mean[i] + c * gi;
            mean[i] = mi;
            avg = sqrtf(vi - mi * mi) + eps;
        } else {
            avg = sqrtf(vi) + eps;
        }
        if (momentum > 0) {
            float bi = momentum * buf[i] + gi / avg;
            buf[i] = bi;
            p[i] -= lr * bi;
        } else {
            p[i] -= lr * gi / avg;
        }
    }
}

void kz_adagrad(float *restrict p, const float *restrict g, float *restrict s, long n, float clr, float eps,
                float wd) {
    for (long i = 0; i < n; i++) {
        float gi = g[i] + wd * p[i];
        float si = s[i] + gi * gi;
        s[i] = si;
        p[i] -= clr * gi / (sqrtf(si) + eps);
    }
}
