# SPDX-License-Identifier: Apache-2.0
# Finds asio, OpenSSL, simdjson, Threads and llhttp, and provides daytona::asio and
# daytona::llhttp. Nothing is vendored.

find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED COMPONENTS SSL Crypto)
find_package(simdjson REQUIRED)

# Standalone asio ships neither a CMake config nor a .pc on Debian: find the header.
find_path(DAYTONA_ASIO_INCLUDE_DIR asio.hpp)
if(NOT DAYTONA_ASIO_INCLUDE_DIR)
    message(FATAL_ERROR "standalone asio not found (Debian: apt-get install libasio-dev)")
endif()
if(NOT TARGET daytona::asio)
    add_library(daytona_asio INTERFACE)
    add_library(daytona::asio ALIAS daytona_asio)
    target_include_directories(daytona_asio SYSTEM INTERFACE $<BUILD_INTERFACE:${DAYTONA_ASIO_INCLUDE_DIR}>)
    target_compile_definitions(daytona_asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED)
endif()

# llhttp: an installed package when there is one, else a small static library from the C
# sources Debian's node-llhttp ships.
find_package(llhttp CONFIG QUIET)
if(llhttp_FOUND AND TARGET llhttp::llhttp_static)
    add_library(daytona_llhttp INTERFACE)
    target_link_libraries(daytona_llhttp INTERFACE llhttp::llhttp_static)
    set(DAYTONA_LLHTTP_BUNDLED OFF)
elseif(llhttp_FOUND AND TARGET llhttp::llhttp_shared)
    add_library(daytona_llhttp INTERFACE)
    target_link_libraries(daytona_llhttp INTERFACE llhttp::llhttp_shared)
    set(DAYTONA_LLHTTP_BUNDLED OFF)
else()
    foreach(_f api.c http.c llhttp.c)
        if(NOT EXISTS "${DAYTONA_LLHTTP_SOURCE_DIR}/${_f}")
            message(FATAL_ERROR "llhttp not found: no llhttp package and no ${_f} in "
                "DAYTONA_LLHTTP_SOURCE_DIR=${DAYTONA_LLHTTP_SOURCE_DIR} (Debian: apt-get install node-llhttp)")
        endif()
    endforeach()
    add_library(daytona_llhttp STATIC
        ${DAYTONA_LLHTTP_SOURCE_DIR}/api.c
        ${DAYTONA_LLHTTP_SOURCE_DIR}/http.c
        ${DAYTONA_LLHTTP_SOURCE_DIR}/llhttp.c)
    set_target_properties(daytona_llhttp PROPERTIES
        POSITION_INDEPENDENT_CODE ON C_VISIBILITY_PRESET hidden OUTPUT_NAME daytona_llhttp)
    target_include_directories(daytona_llhttp PUBLIC
        $<BUILD_INTERFACE:${DAYTONA_LLHTTP_INCLUDE_DIR}>
        $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/daytona_llhttp>)
    set(DAYTONA_LLHTTP_BUNDLED ON)
endif()
add_library(daytona::llhttp ALIAS daytona_llhttp)
