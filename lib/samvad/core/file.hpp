// Reading a whole input file (departments.yaml, credentials.yaml, a template, schedule.yaml, a
// vars file, a subscriber list, an --attach or --media file) as bytes: the one way samvad reads
// what a user names. It looks before it reads, so a wrong path gives a clear error instead of a
// hang or an exhausted memory: a directory, a FIFO or a device is refused without reading it, and
// each kind of file has a size limit (README.md, "Input files") checked before reading and again
// while reading, in case the file grows.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include <samvad/core/error.hpp>
#include <samvad/core/result.hpp>

namespace samvad {

enum class FileKind { config, credentials, schedule, template_file, vars, subscribers, attachment, media };

struct FileKindInfo {
  const char* noun;            // "a vars file": what the file should be, for messages
  std::uintmax_t max_bytes;    // larger files are refused
  ExitCode too_large;          // 78 for configuration, 65 for data
};
const FileKindInfo& info(FileKind kind);

struct FileProblem {
  enum class Reason { missing, not_a_file, too_large, unreadable };
  Reason reason = Reason::missing;
  ExitCode code = ExitCode::no_input;  // 66, or the kind's too_large code
  // What is wrong and what was expected, without the path: "is a directory; expected a vars file".
  std::string message;
};

// The file's bytes; a missing file, a directory, a FIFO or device, an unreadable file or one over
// the kind's limit is a FileProblem.
Result<std::string, FileProblem> read_whole_file(const std::filesystem::path& path, FileKind kind);

// The same checks, but the bytes go to `each` a piece at a time (pieces end anywhere, even inside
// a character) and are never held whole: a subscriber file of millions of lines. Returns how
// many bytes were read.
Result<std::uintmax_t, FileProblem> read_file_in_chunks(const std::filesystem::path& path, FileKind kind,
                                                        const std::function<void(std::string_view)>& each);

// The same as read_whole_file, a problem thrown as Error(problem.code, problem.message) located at the file.
std::string read_whole_file_or_throw(const std::filesystem::path& path, FileKind kind);

// "12.5 MB", "300 KB", "17 bytes": a size for messages.
std::string describe_size(std::uintmax_t bytes);

}  // namespace samvad
