"""Images: the Image API (Glance v2) client and the compute's image cache.

``nova.image.glance.API`` is the client; ``nova.image.glance.fetch_to_cache``
puts an image into a compute host's cache directory once.
"""
