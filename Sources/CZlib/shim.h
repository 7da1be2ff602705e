#ifndef KOUZI_CZLIB_SHIM_H
#define KOUZI_CZLIB_SHIM_H
#include <zlib.h>
#endif
