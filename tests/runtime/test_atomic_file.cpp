#include <catch2/catch.hpp>

#include <stdexcept>

#include "runtime/error.h"
#include "runtime/io/atomic_file.h"
#include "tests/support/temporary_directory.h"

using namespace dforge;
using Catch::Matchers::Contains;
using testing::read_bytes;
using testing::TemporaryDirectory;

TEST_CASE("write_file_atomically writes the bytes and replaces an existing file", "[io][atomic_file]") {
  TemporaryDirectory directory;
  const std::string path = directory.file("out.bin");
  const std::vector<uint8_t> first = {1, 2, 0, 255};
  io::write_file_atomically(path, first);
  CHECK(read_bytes(path) == std::string("\x01\x02\x00\xff", 4));

  io::write_file_atomically(path, [](std::ostream& stream) { stream << "second"; });
  CHECK(read_bytes(path) == "second");
  CHECK(directory.entries() == std::vector<std::string>{"out.bin"});
}

TEST_CASE("write_file_atomically passes large blocks through unchanged", "[io][atomic_file]") {
  TemporaryDirectory directory;
  const std::string path = directory.file("large.bin");
  // 200000 bytes: larger than the 64 KiB stream buffer, so the direct write path runs too.
  std::string content(200000, '\0');
  for (size_t i = 0; i < content.size(); ++i) content[i] = char(i * 7 % 251);
  io::write_file_atomically(path, [&](std::ostream& stream) {
    stream << 'x';
    stream.write(content.data(), std::streamsize(content.size()));
    stream << 'y';
  });
  CHECK(read_bytes(path) == "x" + content + "y");
}

TEST_CASE("a failing writer leaves the previous file and no temporary file", "[io][atomic_file]") {
  TemporaryDirectory directory;
  const std::string path = directory.file("keep.txt");
  io::write_file_atomically(path, [](std::ostream& stream) { stream << "good"; });

  auto failing_writer = [](std::ostream& stream) {
    stream << "half written";
    throw std::runtime_error("disk on fire");
  };
  CHECK_THROWS_WITH(io::write_file_atomically(path, failing_writer), "disk on fire");
  CHECK(read_bytes(path) == "good");
  CHECK(directory.entries() == std::vector<std::string>{"keep.txt"});
}

TEST_CASE("write_file_atomically names the path when it cannot create or rename", "[io][atomic_file]") {
  TemporaryDirectory directory;
  const std::string missing = directory.file("no/such/dir/out.bin");
  CHECK_THROWS_WITH(io::write_file_atomically(missing, std::vector<uint8_t>{1}),
                    Contains("write_file_atomically: " + missing + ": creating " + missing + ".tmp-") &&
                        Contains("No such file or directory"));

  // The rename over a directory fails after the data is written: the temporary file must go.
  const std::string occupied = directory.file("occupied");
  std::filesystem::create_directory(occupied);
  CHECK_THROWS_WITH(io::write_file_atomically(occupied, std::vector<uint8_t>{1}),
                    Contains("write_file_atomically: " + occupied + ": rename failed"));
  CHECK(directory.entries() == std::vector<std::string>{"occupied"});
}

TEST_CASE("temporary_path_for appends .tmp-<pid>", "[io][atomic_file]") {
  CHECK(io::temporary_path_for("/a/b.bin") == "/a/b.bin.tmp-" + std::to_string(::getpid()));
}
