<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shows the site's RSS (feed.xml) and Atom (atom.xml) feeds as a readable page when someone opens
  them in a browser; feed readers ignore it. XSLT 1.0 only, no scripts, so every browser that still
  runs XSLT can apply it. Summaries are shown as text; the HTML bodies are left to feed readers,
  because disable-output-escaping is not supported everywhere.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    exclude-result-prefixes="atom dc">

  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
  <xsl:variable name="home" select="/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href"/>
  <xsl:variable name="self"
      select="/rss/channel/atom:link[@rel='self']/@href | /atom:feed/atom:link[@rel='self']/@href"/>
  <xsl:variable name="language" select="/rss/channel/language | /atom:feed/@xml:lang"/>

  <xsl:template match="/">
    <html lang="{$language}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> · web feed</title>
        <style>
          body { font: 1.05rem/1.55 Georgia, "Times New Roman", serif; color: #1b1b1b; background: #fdfcf8;
                 max-width: 42rem; margin: 0 auto; padding: 1.5rem 1rem 4rem; }
          .subscribe { font-family: system-ui, sans-serif; font-size: 0.95rem; background: #fff6d6;
                       border: 1px solid #e6d38a; border-radius: 6px; padding: 0.75rem 1rem; }
          .subscribe code { display: block; margin-top: 0.4rem; padding: 0.3rem 0.5rem; background: #fff;
                            border: 1px solid #e6d38a; overflow-wrap: anywhere; user-select: all; }
          h1 { margin: 1.5rem 0 0.25rem; line-height: 1.2; }
          h2 { font-size: 1.2rem; margin: 0 0 0.2rem; line-height: 1.3; }
          article { border-top: 1px solid #ddd8c8; padding: 1rem 0; }
          .meta { font-family: system-ui, sans-serif; font-size: 0.85rem; color: #666; margin: 0 0 0.4rem; }
          a { color: #7a1f1f; }
        </style>
      </head>
      <body>
        <p class="subscribe">
          <strong>This is a web feed.</strong>
          To subscribe, copy this address into your feed reader:
          <code><xsl:value-of select="$self"/></code>
        </p>
        <h1><xsl:value-of select="$title"/></h1>
        <!-- RSS's description is HTML-escaped plain text, as an item's; Atom's subtitle is plain text. -->
        <p>
          <xsl:call-template name="unescape">
            <xsl:with-param name="text" select="/rss/channel/description"/>
          </xsl:call-template>
          <xsl:value-of select="/atom:feed/atom:subtitle"/>
        </p>
        <p><a href="{$home}">Visit the website</a></p>
        <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item">
    <article>
      <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
      <p class="meta">
        <!-- "Mon, 24 Nov 2025 09:30:00 +0000" -> "24 Nov 2025"; undated items have no pubDate -->
        <xsl:value-of select="substring(pubDate, 6, 11)"/>
        <xsl:for-each select="dc:creator">
          <xsl:choose>
            <xsl:when test="position() = 1"><xsl:if test="../pubDate"> · </xsl:if></xsl:when>
            <xsl:otherwise>, </xsl:otherwise>
          </xsl:choose>
          <xsl:value-of select="."/>
        </xsl:for-each>
      </p>
      <!-- The description is HTML-escaped plain text; show it as the text it stands for. -->
      <p>
        <xsl:call-template name="unescape">
          <xsl:with-param name="text" select="description"/>
        </xsl:call-template>
      </p>
    </article>
  </xsl:template>

  <xsl:template match="atom:entry">
    <article>
      <h2><a href="{atom:link[not(@rel) or @rel='alternate'][1]/@href}"><xsl:value-of select="atom:title"/></a></h2>
      <p class="meta">
        <xsl:value-of select="substring(atom:published, 1, 10)"/>
        <xsl:for-each select="atom:author/atom:name">
          <xsl:choose>
            <xsl:when test="position() = 1"><xsl:if test="../../atom:published"> · </xsl:if></xsl:when>
            <xsl:otherwise>, </xsl:otherwise>
          </xsl:choose>
          <xsl:value-of select="."/>
        </xsl:for-each>
      </p>
      <p><xsl:value-of select="atom:summary"/></p>
    </article>
  </xsl:template>

  <!-- Undo html.escape(text, quote=False): &lt; and &gt; first, &amp; last. -->
  <xsl:template name="unescape">
    <xsl:param name="text"/>
    <xsl:call-template name="replace">
      <xsl:with-param name="from" select="'&amp;amp;'"/>
      <xsl:with-param name="to" select="'&amp;'"/>
      <xsl:with-param name="text">
        <xsl:call-template name="replace">
          <xsl:with-param name="from" select="'&amp;gt;'"/>
          <xsl:with-param name="to" select="'&gt;'"/>
          <xsl:with-param name="text">
            <xsl:call-template name="replace">
              <xsl:with-param name="from" select="'&amp;lt;'"/>
              <xsl:with-param name="to" select="'&lt;'"/>
              <xsl:with-param name="text" select="$text"/>
            </xsl:call-template>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="replace">
    <xsl:param name="text"/>
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:choose>
      <xsl:when test="contains($text, $from)">
        <xsl:value-of select="substring-before($text, $from)"/>
        <xsl:value-of select="$to"/>
        <xsl:call-template name="replace">
          <xsl:with-param name="text" select="substring-after($text, $from)"/>
          <xsl:with-param name="from" select="$from"/>
          <xsl:with-param name="to" select="$to"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
