// The one reader of input files: it refuses what is not a regular file without reading it (a
// FIFO would block, a device never ends) and what is over the limit for its kind of file.
#include <catch2/catch.hpp>

#include <filesystem>

#include <sys/stat.h>

#include <samvad/core/file.hpp>

#include "support/process.hpp"

using samvad::ExitCode;
using samvad::FileKind;
using samvad::FileProblem;
using samvad::read_whole_file;

TEST_CASE("read_whole_file reads a regular file whole", "[core]") {
  samvad::test::TempDir dir;
  const auto file = dir.write("departments.yaml", "organization: {}\n");
  auto bytes = read_whole_file(file, FileKind::config);
  REQUIRE(bytes);
  CHECK(*bytes == "organization: {}\n");
  auto empty = read_whole_file(dir.write("empty.txt", ""), FileKind::subscribers);
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE("read_whole_file says what a path is when it is not a file to read", "[core]") {
  samvad::test::TempDir dir;
  auto missing = read_whole_file(dir.path() / "nope.yaml", FileKind::vars);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().reason == FileProblem::Reason::missing);
  CHECK(missing.error().code == ExitCode::no_input);
  CHECK(missing.error().message == "no such file; expected a vars file");

  auto directory = read_whole_file(dir.path(), FileKind::config);
  REQUIRE_FALSE(directory);
  CHECK(directory.error().reason == FileProblem::Reason::not_a_file);
  CHECK(directory.error().code == ExitCode::no_input);
  CHECK(directory.error().message == "is a directory; expected a configuration file");

  // A FIFO is refused at once: opening it for reading would wait for a writer.
  const auto fifo = dir.path() / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto pipe = read_whole_file(fifo, FileKind::attachment);
  REQUIRE_FALSE(pipe);
  CHECK(pipe.error().code == ExitCode::no_input);
  CHECK_THAT(pipe.error().message, Catch::StartsWith("is a FIFO (named pipe)"));

  auto device = read_whole_file("/dev/zero", FileKind::media);
  REQUIRE_FALSE(device);
  CHECK(device.error().code == ExitCode::no_input);
  CHECK_THAT(device.error().message, Catch::StartsWith("is a character device"));
}

TEST_CASE("read_whole_file refuses a file over its kind's limit before reading it", "[core]") {
  samvad::test::TempDir dir;
  for (auto [kind, code] : {std::pair{FileKind::config, ExitCode::config}, {FileKind::template_file, ExitCode::config},
                            {FileKind::vars, ExitCode::data}, {FileKind::subscribers, ExitCode::data},
                            {FileKind::attachment, ExitCode::data}, {FileKind::media, ExitCode::data}}) {
    const std::uintmax_t limit = samvad::info(kind).max_bytes;
    const auto file = dir.write("file", "");
    std::filesystem::resize_file(file, limit);  // sparse: no disk used
    CHECK(read_whole_file(file, kind));
    std::filesystem::resize_file(file, limit + 1);
    auto over = read_whole_file(file, kind);
    REQUIRE_FALSE(over);
    CHECK(over.error().reason == FileProblem::Reason::too_large);
    CHECK(over.error().code == code);
    CHECK_THAT(over.error().message, Catch::Contains("of at most " + samvad::describe_size(limit)));
  }
  CHECK(samvad::describe_size(20 * 1024 * 1024) == "20 MB");
  CHECK(samvad::describe_size(64 * 1024 * 1024 + 1) == "64 MB");
  CHECK(samvad::describe_size(2621440) == "2.5 MB");
  CHECK(samvad::describe_size(1536) == "2 KB");
  CHECK(samvad::describe_size(17) == "17 bytes");
}

TEST_CASE("read_whole_file_or_throw places the problem at the file", "[core]") {
  samvad::test::TempDir dir;
  try {
    samvad::read_whole_file_or_throw(dir.path(), FileKind::template_file);
    FAIL("no error for a directory");
  } catch (const samvad::Error& e) {
    CHECK(e.code() == ExitCode::no_input);
    CHECK(std::string(e.what()) == dir.path().string() + ": is a directory; expected a template file");
  }
}
