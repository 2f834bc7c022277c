# SPDX-License-Identifier: Apache-2.0
# install(), the CMake package config (find_package(daytona) -> daytona::daytona) and a .pc file.
include(CMakePackageConfigHelpers)

set(DAYTONA_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/daytona")

install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING
        PATTERN "*.hpp" PATTERN "*.ipp")
set_target_properties(daytona_asio PROPERTIES EXPORT_NAME asio)
set_target_properties(daytona_llhttp PROPERTIES EXPORT_NAME llhttp)
install(TARGETS daytona daytona_asio daytona_llhttp EXPORT daytona-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
if(DAYTONA_LLHTTP_BUNDLED)
    install(FILES ${DAYTONA_LLHTTP_INCLUDE_DIR}/llhttp.h
            DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/daytona_llhttp)
endif()
install(EXPORT daytona-targets NAMESPACE daytona:: DESTINATION ${DAYTONA_CMAKE_DIR})
# Build-tree export, so a project can use this build without installing it (as fmt does).
export(EXPORT daytona-targets NAMESPACE daytona::
       FILE ${CMAKE_CURRENT_BINARY_DIR}/daytona-targets.cmake)

configure_package_config_file(cmake/daytona-config.cmake.in
    ${CMAKE_CURRENT_BINARY_DIR}/daytona-config.cmake INSTALL_DESTINATION ${DAYTONA_CMAKE_DIR})
# Not ARCH_INDEPENDENT: the bundled llhttp is a compiled static library.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/daytona-config-version.cmake
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/daytona-config.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/daytona-config-version.cmake
        DESTINATION ${DAYTONA_CMAKE_DIR})

# Relocatable: the prefix is found relative to the .pc file, so `cmake --install --prefix X`
# works wherever X is.
file(RELATIVE_PATH DAYTONA_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
# A separately compiled install carries its archive and the macro its headers are read with.
if(DAYTONA_SEPARATE_COMPILATION)
    set(DAYTONA_PC_CFLAGS " -DDAYTONA_SEPARATE_COMPILATION")
    if(DAYTONA_HAS_AVX2)
        list(JOIN _daytona_simd_flags " " _daytona_pc_simd)
        string(APPEND DAYTONA_PC_CFLAGS " ${_daytona_pc_simd}")
    endif()
    set(DAYTONA_PC_LIBS " -ldaytona")
else()
    set(DAYTONA_PC_CFLAGS "")
    set(DAYTONA_PC_LIBS "")
endif()
configure_file(cmake/daytona.pc.in ${CMAKE_CURRENT_BINARY_DIR}/daytona.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/daytona.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
