// Element types. f32 is the working type everywhere, f64 exists on the CPU for gradient checks,
// i32/u8 hold labels and masks. f16/bf16 exist only in files (safetensors) and are converted on load.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "runtime/error.h"

namespace dforge {

enum class DType : uint8_t { f32, f64, i32, u8 };

inline size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::f32: return 4;
    case DType::f64: return 8;
    case DType::i32: return 4;
    case DType::u8: return 1;
  }
  return 0;
}

inline const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::f32: return "f32";
    case DType::f64: return "f64";
    case DType::i32: return "i32";
    case DType::u8: return "u8";
  }
  return "?";
}

inline bool is_floating(DType dtype) { return dtype == DType::f32 || dtype == DType::f64; }

template <typename T> constexpr DType dtype_of();
template <> constexpr DType dtype_of<float>() { return DType::f32; }
template <> constexpr DType dtype_of<double>() { return DType::f64; }
template <> constexpr DType dtype_of<int32_t>() { return DType::i32; }
template <> constexpr DType dtype_of<uint8_t>() { return DType::u8; }

// Calls body.template operator()<T>() with T the C++ type of a floating dtype:
//   dispatch_floating(x.dtype(), "tanh", [&]<typename T>() { ... });
template <typename Body>
decltype(auto) dispatch_floating(DType dtype, const char* op, Body&& body) {
  switch (dtype) {
    case DType::f32: return body.template operator()<float>();
    case DType::f64: return body.template operator()<double>();
    default: break;
  }
  throw Error(concat(op, ": needs a floating tensor (f32 or f64), got ", dtype_name(dtype)));
}

// Same for every dtype (copies, casts, fills).
template <typename Body>
decltype(auto) dispatch_any(DType dtype, const char* op, Body&& body) {
  switch (dtype) {
    case DType::f32: return body.template operator()<float>();
    case DType::f64: return body.template operator()<double>();
    case DType::i32: return body.template operator()<int32_t>();
    case DType::u8: return body.template operator()<uint8_t>();
  }
  throw Error(concat(op, ": unknown dtype"));
}

}  // namespace dforge
