// Write to "<path>.tmp-<pid>", flush, fsync, rename over the target; on failure remove the temporary
// file. See atomic_file.h for the guarantee.
#include "runtime/io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <streambuf>

#include "runtime/error.h"

namespace dforge::io {

namespace {

// A std::streambuf over a POSIX file descriptor, so the content can be fsync'ed before the rename
// (std::ofstream offers no fsync). Remembers the first write error instead of throwing from inside
// the iostream machinery; the caller checks failed() after flushing.
class FileDescriptorBuffer : public std::streambuf {
 public:
  explicit FileDescriptorBuffer(int descriptor) : descriptor_(descriptor) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }

  bool failed() const { return error_number_ != 0; }
  int error_number() const { return error_number_; }

 protected:
  int_type overflow(int_type character) override {
    if (!flush_buffer()) return traits_type::eof();
    if (!traits_type::eq_int_type(character, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(character);
      pbump(1);
    }
    return traits_type::not_eof(character);
  }

  // Large blocks (tensor data) bypass the buffer and go straight to write(2).
  std::streamsize xsputn(const char* data, std::streamsize count) override {
    if (count < std::streamsize(buffer_.size())) return std::streambuf::xsputn(data, count);
    if (!flush_buffer() || !write_all(data, size_t(count))) return 0;
    return count;
  }

  int sync() override { return flush_buffer() ? 0 : -1; }

 private:
  bool flush_buffer() {
    bool ok = write_all(pbase(), size_t(pptr() - pbase()));
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return ok;
  }

  bool write_all(const char* data, size_t count) {
    if (failed()) return false;
    while (count > 0) {
      ssize_t written = ::write(descriptor_, data, count);
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) {
        error_number_ = written < 0 ? errno : EIO;
        return false;
      }
      data += written;
      count -= size_t(written);
    }
    return true;
  }

  int descriptor_;
  int error_number_ = 0;
  std::array<char, 1 << 16> buffer_;
};

[[noreturn]] void fail(const std::string& path, const char* step, int error_number) {
  throw Error(
      concat("write_file_atomically: ", path, ": ", step, " failed (", std::strerror(error_number), ")"));
}

// Makes the rename itself durable. Best effort: some file systems refuse fsync on a directory, and
// the content is already safe on disk at this point.
void sync_parent_directory(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = ".";
  int descriptor = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (descriptor < 0) return;
  ::fsync(descriptor);
  ::close(descriptor);
}

// Streams into the open temporary file, then flushes, fsyncs and closes it. Throws on any failure;
// the descriptor is closed either way.
void fill_temporary(int descriptor, const std::string& path,
                    const std::function<void(std::ostream&)>& write) {
  try {
    FileDescriptorBuffer buffer(descriptor);
    std::ostream stream(&buffer);
    write(stream);
    stream.flush();
    if (buffer.failed()) fail(path, "write", buffer.error_number());
    if (!stream.good()) fail(path, "write", EIO);
    if (::fsync(descriptor) != 0) fail(path, "fsync", errno);
  } catch (...) {
    ::close(descriptor);
    throw;
  }
  if (::close(descriptor) != 0) fail(path, "close", errno);
}

}  // namespace

std::string temporary_path_for(const std::string& path) { return concat(path, ".tmp-", ::getpid()); }

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  const std::string temporary = temporary_path_for(path);
  // 0666 before the umask: the same permissions an ordinary new file gets.
  int descriptor = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (descriptor < 0) {
    int error_number = errno;
    fail(path, concat("creating ", temporary).c_str(), error_number);
  }
  try {
    fill_temporary(descriptor, path, write);
    if (std::rename(temporary.c_str(), path.c_str()) != 0) fail(path, "rename", errno);
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
  sync_parent_directory(path);
}

void write_file_atomically(const std::string& path, std::span<const uint8_t> bytes) {
  write_file_atomically(path, [&](std::ostream& stream) {
    stream.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
  });
}

}  // namespace dforge::io
