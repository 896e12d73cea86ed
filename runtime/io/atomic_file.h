// Atomic file writing: after write_file_atomically(path, ...) returns, `path` holds the complete new
// content; if it throws, `path` holds exactly what it held before (or still does not exist). The
// data goes to "<path>.tmp-<pid>", is flushed and fsync'ed, then renamed over the target (rename(2)
// replaces a file atomically within one file system). On any failure -- the writer throws, a write
// or fsync fails, the rename fails -- the temporary file is removed and the error is rethrown.
// Checkpoints, safetensors, images and reports all go through here, so a crash never leaves a
// half-written output.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <span>
#include <string>

namespace dforge::io {

// Streams the file's content through `write`. Exceptions thrown by `write` propagate unchanged;
// I/O failures throw dforge::Error naming `path` and the system's reason.
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

// Writes `bytes` as the whole content of `path`, atomically as above.
void write_file_atomically(const std::string& path, std::span<const uint8_t> bytes);

// The temporary file's name for `path` in this process: "<path>.tmp-<pid>".
std::string temporary_path_for(const std::string& path);

}  // namespace dforge::io
