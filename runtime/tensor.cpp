#include "runtime/tensor.h"

#include <algorithm>

#include "runtime/error.h"
#include "runtime/fill.h"

namespace dforge {

Tensor Tensor::empty(const Shape& shape, DType dtype, Device device) {
  for (int64_t size : shape) DFORGE_CHECK(size >= 0, "empty: negative size in shape ", shape_str(shape));
  Tensor tensor;
  tensor.storage_ = std::make_shared<Storage>(size_t(numel_of(shape)) * dtype_size(dtype), device);
  tensor.shape_ = shape;
  tensor.dtype_ = dtype;
  return tensor;
}

Tensor Tensor::zeros(const Shape& shape, DType dtype, Device device) { return full(shape, 0.0, dtype, device); }

Tensor Tensor::full(const Shape& shape, double value, DType dtype, Device device) {
  Tensor tensor = empty(shape, dtype, device);
  runtime::fill(tensor, value);
  return tensor;
}

Tensor Tensor::scalar(double value, DType dtype, Device device) { return full({}, value, dtype, device); }

Tensor Tensor::from_values(const std::vector<double>& values, const Shape& shape, DType dtype) {
  DFORGE_CHECK(int64_t(values.size()) == numel_of(shape), "from_values: ", values.size(),
               " values do not fill shape ", shape_str(shape));
  Tensor tensor = empty(shape, dtype);
  dispatch_any(dtype, "from_values", [&]<typename T>() {
    T* out = tensor.data<T>();
    for (size_t i = 0; i < values.size(); ++i) out[i] = T(values[i]);
  });
  return tensor;
}

int64_t Tensor::size(int64_t axis) const { return shape_[normalize_axis(axis, ndim(), "size")]; }

std::string Tensor::describe() const {
  if (!defined()) return "undefined tensor";
  return concat(dtype_name(dtype_), shape_str(shape_), " ", device().name());
}

void Tensor::check_dtype(DType expected) const {
  DFORGE_CHECK(defined(), "access to the data of an undefined tensor");
  DFORGE_CHECK(expected == dtype_, "tensor is ", dtype_name(dtype_), ", accessed as ", dtype_name(expected));
}

Tensor Tensor::reshape(const Shape& shape) const {
  Shape resolved = shape;
  int inferred = -1;
  int64_t known = 1;
  for (size_t i = 0; i < resolved.size(); ++i) {
    if (resolved[i] == -1) {
      DFORGE_CHECK(inferred < 0, "reshape: more than one -1 in ", shape_str(shape));
      inferred = int(i);
    } else {
      known *= resolved[i];
    }
  }
  if (inferred >= 0) {
    DFORGE_CHECK(known > 0 && numel() % known == 0, "reshape: cannot reshape ", shape_str(shape_), " to ",
                 shape_str(shape));
    resolved[inferred] = numel() / known;
  }
  DFORGE_CHECK(numel_of(resolved) == numel(), "reshape: cannot reshape ", shape_str(shape_), " (",
               numel(), " elements) to ", shape_str(shape));
  Tensor result = *this;
  result.shape_ = resolved;
  return result;
}

Tensor Tensor::clone() const {
  Tensor copy = empty(shape_, dtype_, device());
  copy_bytes(copy.raw(), copy.device(), raw(), device(), nbytes());
  return copy;
}

Tensor Tensor::to(Device target) const {
  if (target == device()) return *this;
  Tensor copy = empty(shape_, dtype_, target);
  copy_bytes(copy.raw(), target, raw(), device(), nbytes());
  return copy;
}

Tensor Tensor::to(DType target) const {
  if (target == dtype_) return *this;
  return runtime::cast(*this, target);
}

void Tensor::copy_from(const Tensor& source) {
  DFORGE_CHECK(source.shape_ == shape_ && source.dtype_ == dtype_, "copy_from: destination ", describe(),
               " and source ", source.describe(), " differ");
  copy_bytes(raw(), device(), source.raw(), source.device(), nbytes());
}

double Tensor::item() const {
  DFORGE_CHECK(numel() == 1, "item: tensor ", describe(), " has ", numel(), " elements, expected 1");
  return to_vector()[0];
}

std::vector<double> Tensor::to_vector() const {
  Tensor host = to(Device::cpu());
  std::vector<double> values(static_cast<size_t>(numel()));
  dispatch_any(dtype_, "to_vector", [&]<typename T>() {
    const T* in = host.data<T>();
    for (size_t i = 0; i < values.size(); ++i) values[i] = double(in[i]);
  });
  return values;
}

}  // namespace dforge
