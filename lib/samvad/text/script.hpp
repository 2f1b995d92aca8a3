// Which writing system a language is written in and whether a text is written in it, by ICU's
// locale data and Unicode script properties: the check behind "a Marathi value in Latin
// letters only" (a clerk typing `--var areas=Nigdi` for a Marathi notice).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <samvad/core/localized.hpp>

namespace samvad::text {

// The name of the script `lang` is written in when it is not Latin ("Devanagari" for mr and
// hi, "Gujarati" for gu); nullopt for Latin-script languages and for codes ICU does not know.
std::optional<std::string> non_latin_script(const LanguageCode& lang);

// Whether `text` (UTF-8) has letters and none of them belongs to a script `lang` is written in:
// "Nigdi, Akurdi" for mr is, "निगडी (Nigdi)" and "1500" are not. False when `lang` is not
// written in a non-Latin script (see non_latin_script).
bool lacks_script_of(std::string_view text, const LanguageCode& lang);

// The English name of a language for messages ("Marathi" for mr), or the code itself.
std::string language_name(const LanguageCode& lang);

}  // namespace samvad::text
