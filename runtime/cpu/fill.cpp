#include "runtime/fill.h"

#include "runtime/convert_value.h"

namespace dforge::cpu {

void fill(Tensor& tensor, double value) {
  dispatch_any(tensor.dtype(), "fill", [&]<typename T>() {
    T* out = tensor.data<T>();
    const T converted = convert_value<T>(value);
    const int64_t count = tensor.numel();
#pragma omp parallel for if (count > 65536)
    for (int64_t i = 0; i < count; ++i) out[i] = converted;
  });
}

void cast(const Tensor& x, Tensor& out) {
  dispatch_any(x.dtype(), "cast", [&]<typename In>() {
    dispatch_any(out.dtype(), "cast", [&]<typename Out>() {
      const In* in = x.data<In>();
      Out* result = out.data<Out>();
      const int64_t count = x.numel();
#pragma omp parallel for if (count > 65536)
      for (int64_t i = 0; i < count; ++i) result[i] = convert_value<Out>(in[i]);
    });
  });
}

}  // namespace dforge::cpu
