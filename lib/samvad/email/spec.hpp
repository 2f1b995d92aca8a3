// The email channel's entry in the registry (registry/channels.cpp).
#pragma once

#include <samvad/channel/spec.hpp>

namespace samvad::email {

channel::Spec spec();

}  // namespace samvad::email
