// What kind of file a byte string is, from its first bytes (and, for attachments, its name):
// pure, shared by the input checks (--media, --attach) and the channels that send the files.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace samvad {

// "image/png" etc. from the file's first bytes; nullopt for anything X does not take as an image.
std::optional<std::string> image_media_type(const std::string& first_bytes);
// Two or more frames: an animation, which X takes only as tweet_gif through the chunked upload.
bool is_animated_gif(const std::string& bytes);
// An attachment's Content-Type from its first bytes, else its extension; application/octet-stream
// when neither tells.
std::string attachment_content_type(const std::filesystem::path& file, const std::string& head);

}  // namespace samvad
