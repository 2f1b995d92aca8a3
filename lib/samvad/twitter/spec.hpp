// The X channel's entry in the registry (registry/channels.cpp).
#pragma once

#include <samvad/channel/spec.hpp>

namespace samvad::twitter {

channel::Spec spec();

}  // namespace samvad::twitter
