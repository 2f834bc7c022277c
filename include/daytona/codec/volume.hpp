// SPDX-License-Identifier: Apache-2.0
// JSON codecs of the volume models, both directions (client and emulator).
#ifndef DAYTONA_CODEC_VOLUME_HPP
#define DAYTONA_CODEC_VOLUME_HPP

#include "daytona/codec/sandbox.hpp"
#include "daytona/config.hpp"
#include "daytona/json/reader.hpp"
#include "daytona/json/writer.hpp"
#include "daytona/models/volume.hpp"

DAYTONA_BEGIN_NAMESPACE

DAYTONA_DECL void decode_value(json::value& v, volume_info& out, json::decoder& d);

/// The VolumeDto as the API writes it (nullable fields as null).
DAYTONA_DECL void encode(json::writer& w, const volume_info& v);

DAYTONA_DECL void decode_value(json::value& v, create_volume_request& out, json::decoder& d);
DAYTONA_DECL void encode(json::writer& w, const create_volume_request& r);

DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/codec/impl/volume.ipp"
#endif

#endif  // DAYTONA_CODEC_VOLUME_HPP
