#ifndef KOUZI_CKERNELS_H
#define KOUZI_CKERNELS_H
/* Hot elementwise loops written in C so the compiler vectorises them (square roots and divisions
   included), compiled for AVX2 + FMA. Each function updates arrays of n floats in place. */

/* Adam / AdamW moment update and step (PyTorch's formulation). l2 is added to the gradient. */
void kz_adam(float *p, const float *g, float *m, float *v, long n, float beta1, float beta2,
             float step_size, float inv_sqrt_bc2, float eps, float l2);

/* Plain SGD with L2 weight decay. */
void kz_sgd(float *p, const float *g, long n, float lr, float wd);

/* SGD with momentum buffer b (first: initialise b with the gradient), dampening and Nesterov. */
void kz_sgd_momentum(float *p, const float *g, float *b, long n, float lr, float wd, float momentum,
                     float dampening, int nesterov, int first);

/* RMSprop with optional centring (mean) and momentum (buf). */
void kz_rmsprop(float *p, const float *g, float *v, float *mean, float *buf, long n, float lr, float alpha,
                float eps, float momentum, int centered, float wd);

/* AdaGrad with accumulator s. */
void kz_adagrad(float *p, const float *g, float *s, long n, float clr, float eps, float wd);

/* A spin-wait hint for busy loops (PAUSE on x86). */
static inline void kz_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

#endif
