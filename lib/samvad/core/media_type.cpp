#include <samvad/core/media_type.hpp>

#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>

namespace samvad {

std::optional<std::string> image_media_type(const std::string& b) {
  auto starts = [&b](std::string_view magic, size_t at = 0) {
    return b.size() >= at + magic.size() && b.compare(at, magic.size(), magic) == 0;
  };
  if (starts("\xFF\xD8\xFF")) return "image/jpeg";
  if (starts("\x89PNG")) return "image/png";
  if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
  if (starts("RIFF") && starts("WEBP", 8)) return "image/webp";
  return std::nullopt;
}

// Walks the GIF block structure (GIF89a specification, sections 17-27) and counts image
// descriptors: two or more frames make an animation, which X takes only as tweet_gif through the
// chunked upload. A file that ends early counts the frames seen up to there.
bool is_animated_gif(const std::string& b) {
  if (!image_media_type(b) || *image_media_type(b) != "image/gif" || b.size() < 13) return false;
  auto byte = [&b](size_t i) { return static_cast<unsigned char>(b[i]); };
  auto color_table = [](unsigned char packed) -> size_t {
    return (packed & 0x80) ? 3u * (1u << ((packed & 0x07) + 1)) : 0;
  };
  // Skips data sub-blocks (a length byte, that many bytes, until a zero length); npos when cut off.
  auto skip_sub_blocks = [&](size_t i) -> size_t {
    while (i < b.size()) {
      size_t len = byte(i);
      ++i;
      if (len == 0) return i;
      i += len;
    }
    return std::string::npos;
  };
  size_t i = 13 + color_table(byte(10));  // header (6) + logical screen descriptor (7)
  int frames = 0;
  while (i < b.size() && frames < 2) {
    unsigned char introducer = byte(i);
    if (introducer == 0x2C) {  // image descriptor
      if (i + 10 > b.size()) break;
      ++frames;
      i += 10 + color_table(byte(i + 9));
      i = skip_sub_blocks(i + 1);     // +1: the LZW minimum code size byte
    } else if (introducer == 0x21) {  // extension: label, then sub-blocks
      i = skip_sub_blocks(i + 2);
    } else {  // 0x3B trailer, or bytes that are not a block
      break;
    }
  }
  return frames >= 2;
}

std::string attachment_content_type(const std::filesystem::path& file, const std::string& head) {
  if (head.rfind("%PDF-", 0) == 0) return "application/pdf";
  if (head.rfind("\x89PNG", 0) == 0) return "image/png";
  if (head.rfind("\xFF\xD8\xFF", 0) == 0) return "image/jpeg";
  if (head.rfind("GIF8", 0) == 0) return "image/gif";
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::pair<const char*, const char*> known[] = {
      {".pdf", "application/pdf"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".txt", "text/plain; charset=UTF-8"},
      {".csv", "text/csv; charset=UTF-8"},
      {".doc", "application/msword"},
      {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {".xls", "application/vnd.ms-excel"},
      {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {".odt", "application/vnd.oasis.opendocument.text"},
      {".ods", "application/vnd.oasis.opendocument.spreadsheet"},
      {".zip", "application/zip"},
  };
  for (const auto& [e, type] : known)
    if (ext == e) return type;
  return "application/octet-stream";
}

}  // namespace samvad
