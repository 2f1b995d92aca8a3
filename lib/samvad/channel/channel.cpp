#include <samvad/channel/channel.hpp>

namespace samvad::channel {

std::string MediaItem::alt_for(const LanguageCode& lang) const {
  if (const std::string* a = alt.find(lang)) return *a;
  if (const std::string* a = alt.find("")) return *a;
  return alt.text.empty() ? std::string() : alt.text.begin()->second;
}

}  // namespace samvad::channel
