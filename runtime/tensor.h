// Tensor: a contiguous, row-major (NCHW) block of one dtype on one device. Copying a Tensor copies
// a handle; reshape() shares storage; every op returns a new tensor. Autograd lives one level up
// (autograd/variable.h) and wraps a Tensor.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "runtime/device.h"
#include "runtime/dtype.h"
#include "runtime/shape.h"
#include "runtime/storage.h"

namespace dforge {

class Tensor {
 public:
  Tensor() = default;  // undefined: defined() is false

  static Tensor empty(const Shape& shape, DType dtype = DType::f32, Device device = Device::cpu());
  static Tensor zeros(const Shape& shape, DType dtype = DType::f32, Device device = Device::cpu());
  static Tensor full(const Shape& shape, double value, DType dtype = DType::f32,
                     Device device = Device::cpu());
  static Tensor scalar(double value, DType dtype = DType::f32, Device device = Device::cpu());
  // Copies `values` (converted to `dtype`) into a new CPU tensor of `shape`.
  static Tensor from_values(const std::vector<double>& values, const Shape& shape,
                            DType dtype = DType::f32);

  bool defined() const { return storage_ != nullptr; }
  const Shape& shape() const { return shape_; }
  int ndim() const { return int(shape_.size()); }
  int64_t size(int64_t axis) const;  // negative axes count from the end
  int64_t numel() const { return numel_of(shape_); }
  size_t nbytes() const { return size_t(numel()) * dtype_size(dtype_); }
  DType dtype() const { return dtype_; }
  Device device() const { return storage_ ? storage_->device() : Device::cpu(); }
  std::string describe() const;  // "f32[2, 3] cpu"

  // Typed access to the elements; checks the dtype. Valid on any device (a device pointer on cuda).
  template <typename T> T* data() { check_dtype(dtype_of<T>()); return static_cast<T*>(raw()); }
  template <typename T> const T* data() const {
    check_dtype(dtype_of<T>());
    return static_cast<const T*>(raw());
  }
  void* raw() const { return storage_ ? storage_->data() : nullptr; }
  // True when both tensors use the same block of memory (reshape of one another).
  bool shares_storage(const Tensor& other) const { return storage_ == other.storage_; }
  // True when no other tensor uses this one's memory (no copy, no reshape of it is alive).
  bool owns_storage_alone() const { return storage_.use_count() == 1; }

  Tensor reshape(const Shape& shape) const;  // -1 allowed once; shares storage
  Tensor clone() const;
  Tensor to(Device device) const;  // returns *this when already there
  Tensor to(DType dtype) const;    // converting copy; returns *this when already that dtype
  void copy_from(const Tensor& source);  // same shape and dtype, any devices

  double item() const;                     // the single element, as double
  std::vector<double> to_vector() const;   // all elements, as double, on the host

 private:
  void check_dtype(DType expected) const;

  std::shared_ptr<Storage> storage_;
  Shape shape_;
  DType dtype_ = DType::f32;
};

// Tensors with names, in order: state dicts, safetensors files.
using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

}  // namespace dforge
